"""Text patterns shared by the models, with the help shown when a value does not match."""

ID = r"^[a-z0-9][a-z0-9._-]*$"
URL = r"^https?://\S+$"
# BCP 47 is case-insensitive: 'EN', 'zh-hans'; extensions and private use ('ar-u-nu-arab',
# 'x-house') have one-letter singletons
LANGUAGE = r"^([A-Za-z]{2,3}|[xXiI])(-[A-Za-z0-9]{1,8})*$"

HELP: dict[str, str] = {
    ID: "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
    URL: "expected a web address starting with http:// or https://, without spaces",
    LANGUAGE: "expected a BCP 47 language tag such as 'en', 'en-GB' or 'zh-Hans'",
}
