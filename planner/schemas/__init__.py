"""JSON Schema documents (draft 2020-12) of every `--json` output, one per command.

Shipped with the package so scripts can validate what they read; the tests check each
command's real output against its schema.
"""
