"""The CDK entry point over template.yaml (README, Deploying with CDK)."""
