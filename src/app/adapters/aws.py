"""botocore clients and error translation shared by every adapter.

Clients honour the standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables, which is how local
runs reach moto without any branch in the code.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from app.domain.errors import DependencyUnavailableError

# Standard mode retries throttling and transient errors with jittered backoff; three attempts of at
# most 1 s connect + 2 s read keep a request well inside the function timeout.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=1,
    read_timeout=2,
    tcp_keepalive=True,
)

# Error codes that mean "try again later", not "your request is wrong".
RETRYABLE_ERROR_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "LimitExceededException",
    }
)


# The jobs worker moves up to 1 MB per call (a Query page, a batch of 25 items) and has minutes, not seconds:
# it waits longer for an answer than an API request can afford to.
WORKER_CLIENT_CONFIG = CLIENT_CONFIG.merge(Config(read_timeout=10))


def client(service_name: str, config: Config = CLIENT_CONFIG) -> Any:
    return boto3.client(service_name, config=config)  # type: ignore[call-overload]


# Presigned URLs need SigV4 (the only signature newer regions and KMS-encrypted objects accept) and the
# regional endpoint: S3 redirects a URL on the global endpoint for a new bucket outside us-east-1, and a
# browser's CORS request does not follow that redirect. Reads and part uploads of large files need more than
# the 2 s read timeout of small API calls.
S3_CONFIG = CLIENT_CONFIG.merge(
    Config(signature_version="s3v4", s3={"us_east_1_regional_endpoint": "regional"}, read_timeout=10)
)


def s3_client() -> Any:
    return boto3.client("s3", config=S3_CONFIG)


# botocore's standard mode waits up to min(2^i, 20) s before retry i+1 of a throttled call (base 1 s).
_MAX_BACKOFF_SECONDS = 20


def worst_case_call_ms(client: Any) -> int:
    """How long one call of this client can take, all retries included: every attempt waits out its connect
    and read timeouts, with the longest throttling backoff between attempts. Read from the client's own
    configuration (where `max_attempts` has become `total_max_attempts`, the first attempt included)."""
    config = client.meta.config
    attempts = int(config.retries.get("total_max_attempts", 3))
    waiting = attempts * (config.connect_timeout + config.read_timeout)
    backoff = sum(min(2**retry, _MAX_BACKOFF_SECONDS) for retry in range(attempts - 1))
    return int((waiting + backoff) * 1000)


def read_timeout_ms(client: Any) -> int:
    """How long one read of a streamed body can stall before it fails (streamed reads are not retried)."""
    return int(client.meta.config.read_timeout * 1000)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


@contextmanager
def unavailable_on_transient_errors() -> Iterator[None]:
    """Turns throttling, timeouts and connection failures (after botocore's retries) into DependencyUnavailableError."""
    try:
        yield
    except ClientError as error:
        if error_code(error) in RETRYABLE_ERROR_CODES:
            raise DependencyUnavailableError() from error
        raise
    except (BotocoreConnectionError, ReadTimeoutError) as error:
        raise DependencyUnavailableError() from error
