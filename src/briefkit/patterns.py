"""Text patterns shared by the models, with the help shown when a value does not match."""

ID = r"^[a-z0-9][a-z0-9._-]*$"
URL = r"^https?://\S+$"
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

HELP: dict[str, str] = {
    ID: "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
    URL: "expected a web address starting with http:// or https://, without spaces",
    LANGUAGE: "expected a BCP 47 language tag such as 'en', 'en-GB' or 'zh-Hans'",
}
