from bot.config.loader import ConfigError, example_text, load_config, parse_config
from bot.config.root import PleinConfig

__all__ = ["ConfigError", "PleinConfig", "example_text", "load_config", "parse_config"]
