"""Tests of the code's shape: passes, imports, caches and the parts registry."""
