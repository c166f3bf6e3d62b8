"""Handler permissions the execution role does not get, each with its reason. Schemas list, for every handler, the
permissions of every optional property; those of a property this template never sets are exempt while no resource
of the type sets it (tests/static/test_pipeline_permissions.py checks each entry is still needed)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exemption:
    """`actions` (globs) of `types` are needed only when a resource sets `property` (a dotted path)."""

    types: tuple[str, ...]
    actions: tuple[str, ...]
    property: str
    reason: str


EXEMPTIONS = (
    Exemption(("AWS::Cognito::UserPool",), ("kms:*",), "LambdaConfig", "the custom sender triggers' key"),
    Exemption(("AWS::DynamoDB::Table",), ("kms:*",), "SSESpecification.KMSMasterKeyId", "a customer-managed key"),
    Exemption(("AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping"), ("kms:*",), "KmsKeyArn", "a customer key"),
    Exemption(("AWS::DynamoDB::Table",), ("kinesis:*",), "KinesisStreamSpecification", "changes streamed to Kinesis"),
    Exemption(
        ("AWS::DynamoDB::Table",),
        ("dynamodb:*Import*", "s3:*", "logs:*"),
        "ImportSourceSpecification",
        "a table imported from S3: reads the objects, logs the import to CloudWatch Logs",
    ),
    Exemption(("AWS::Lambda::Function",), ("*:*MountTargets",), "FileSystemConfigs", "EFS or S3 Files mounts"),
    Exemption(("AWS::Lambda::Function",), ("lambda:PassCapacityProvider",), "CapacityProviderConfig", "instances"),
    Exemption(("AWS::Lambda::Function",), ("lambda:GetCodeSigningConfig",), "CodeSigningConfigArn", "code signing"),
    Exemption(("AWS::S3::Bucket",), ("s3tables:*",), "MetadataTableConfiguration", "S3 Metadata's table bucket"),
    Exemption(("AWS::EC2::VPC",), ("ec2:CreateVpcEncryptionControl",), "VpcEncryptionControl", "VPC encryption"),
    Exemption(("AWS::EC2::VPCEndpoint",), ("vpc-lattice:*",), "ServiceNetworkArn", "a VPC Lattice service network"),
    Exemption(("AWS::EC2::VPCEndpoint",), ("vpce:AllowMultiRegion",), "ServiceRegion", "a service in another region"),
    Exemption(("AWS::SecretsManager::Secret",), ("*Region*",), "ReplicaRegions", "replicas in other regions"),
    Exemption(("AWS::IAM::Role",), ("iam:*PermissionsBoundary",), "PermissionsBoundary", "a permissions boundary"),
    Exemption(("AWS::Logs::LogGroup",), ("logs:*KmsKey",), "KmsKeyId", "a customer-managed key"),
    Exemption(("AWS::Logs::LogGroup",), ("logs:*IndexPolic*",), "FieldIndexPolicies", "field index policies"),
    Exemption(("AWS::Logs::LogGroup",), ("logs:DeleteResourcePolicy",), "ResourcePolicyDocument", "its own policy"),
    Exemption(("AWS::Logs::LogGroup",), ("logs:PutBearerToken*",), "BearerTokenAuthenticationEnabled", "bearer auth"),
    Exemption(("AWS::Logs::LogGroup",), ("firehose:*",), "DataProtectionPolicy", "audit findings sent to Firehose"),
    Exemption(("AWS::CodeDeploy::DeploymentGroup",), ("*OnPremises*",), "OnPremisesInstanceTagFilters", "on-prem"),
)
# Service-linked roles are created once per account, by the service, on first use of a feature this template does
# not use (DynamoDB replication and Kinesis streaming, Cognito SMS, flow logs to S3): the role creates none.
NO_SERVICE_LINKED_ROLES = "iam:CreateServiceLinkedRole"
# Types whose handler actions are authorized on their parent's resource, which CloudFormation tags (the schema says
# it does not tag the child itself).
TAGGED_THROUGH = {
    "AWS::Cognito::UserPoolClient": "AWS::Cognito::UserPool",
    "AWS::EC2::SubnetRouteTableAssociation": "AWS::EC2::Subnet",
}
# Types whose schema lists no handler permissions (legacy resource types, not on the resource provider registry):
# nothing to prove them against, so their actions are granted and reviewed by hand.
WITHOUT_HANDLER_PERMISSIONS = {
    "AWS::Route53::RecordSetGroup": "the custom domain's alias records: route53 record set changes on the hosted zone",
}
