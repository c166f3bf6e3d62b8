"""AWS::SecretsManager::Secret, generating the value locally as GenerateSecretString would."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

from devstack.provisioners.context import Context

_GROUPS = {
    "ExcludeLowercase": string.ascii_lowercase,
    "ExcludeUppercase": string.ascii_uppercase,
    "ExcludeNumbers": string.digits,
    "ExcludePunctuation": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
}


def _without(characters: str, excluded: str) -> str:
    return "".join(character for character in characters if character not in excluded)


def _alphabets(spec: dict[str, Any]) -> list[str]:
    """The character groups the options leave, each of which a password must use by default."""
    groups = [characters for flag, characters in _GROUPS.items() if not spec.get(flag, False)]
    groups += [" "] if spec.get("IncludeSpace", False) else []
    excluded = str(spec.get("ExcludeCharacters", ""))
    return [group for group in (_without(characters, excluded) for characters in groups) if group]


def _uses_each(password: str, alphabets: list[str]) -> bool:
    return all(any(character in group for character in password) for group in alphabets)


def _random_password(alphabets: list[str], length: int, require_each: bool) -> str:
    alphabet = "".join(alphabets)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if not require_each or length < len(alphabets) or _uses_each(password, alphabets):
            return password


def generate_secret_string(spec: dict[str, Any]) -> str:
    """A random password honouring the GenerateSecretString options, in its JSON template if one is given."""
    length = int(spec.get("PasswordLength", 32))
    password = _random_password(_alphabets(spec), length, bool(spec.get("RequireEachIncludedType", True)))
    if "SecretStringTemplate" not in spec:
        return password
    return json.dumps({**json.loads(spec["SecretStringTemplate"]), spec["GenerateStringKey"]: password})


def _secret_value(properties: dict[str, Any]) -> str:
    if "SecretString" in properties:
        return str(properties["SecretString"])
    return generate_secret_string(properties.get("GenerateSecretString", {}))


def create_secret(ctx: Context, logical_id: str, properties: dict[str, Any]) -> None:
    name = ctx.physical_name(logical_id, properties.get("Name"))
    client = ctx.secretsmanager
    try:
        arn = client.describe_secret(SecretId=name)["ARN"]  # a restart keeps the key, so cursors stay valid
    except client.exceptions.ResourceNotFoundException:
        optional = {key: properties[key] for key in ("Description", "KmsKeyId", "Tags") if key in properties}
        arn = client.create_secret(Name=name, SecretString=_secret_value(properties), **optional)["ARN"]
    ctx.names.set_resource(logical_id, arn, Id=arn)
