"""Domain errors raised by the core; the edges (HTTP, SMS, CLI) translate them."""


class BotError(Exception):
    """Base class for every error the service raises on purpose."""


class CorpusError(BotError):
    """The corpus folder is missing or a document cannot be read."""


class IndexMissingError(BotError):
    """No index has been built yet."""


class IndexMismatchError(BotError):
    """The index on disk was built from another corpus, model or version, or is damaged."""


class EncoderUnavailableError(BotError):
    """The embedding model could not be loaded."""


class InputError(BotError):
    """A user's input cannot be answered as given (empty, too long)."""
