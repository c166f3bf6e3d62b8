"""The service's CDK entry point: template.yaml included as it is (CfnInclude), proven equivalent by tests/cdk."""
