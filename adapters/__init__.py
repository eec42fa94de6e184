"""Platform adapters: console (embedded default), Discord and Slack."""
