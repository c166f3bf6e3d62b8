"""The project's own cfn-lint rules (`cfn-lint --append-rules cfn_rules`): the conventions of this template."""
