"""The cursor signing key, read from Secrets Manager on first use and cached by Powertools Parameters."""

from functools import cached_property
from typing import Any

from app.adapters.aws import client
from app.domain.errors import DependencyUnavailableError

# Rotation invalidates outstanding cursors only, so re-reading the key once an hour is plenty.
KEY_MAX_AGE_SECONDS = 3600


class SecretsManagerKey:
    def __init__(self, *, secret_arn: str) -> None:
        self._secret_arn = secret_arn

    @cached_property
    def _provider(self) -> Any:
        # Imported on first use: only list requests need the key, so no other route pays for it.
        from aws_lambda_powertools.utilities.parameters import SecretsProvider

        # Our client, from the session every other client shares: a provider's own session loads botocore's
        # data files a second time.
        return SecretsProvider(boto3_client=client("secretsmanager"))

    def __call__(self) -> bytes:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        try:
            value = self._provider.get(self._secret_arn, max_age=KEY_MAX_AGE_SECONDS)
        except GetParameterError as error:
            # Powertools wraps every failure (throttling, network, permissions); all mean "cannot serve now".
            raise DependencyUnavailableError() from error
        return str(value).encode()
