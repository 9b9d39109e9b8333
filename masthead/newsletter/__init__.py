"""Newsletters: readers subscribe in their language (double opt-in) and get new stories by
e-mail, every article or as a daily or weekly digest; editors compose and send issues of their
own; the worker delivers in resumable batches (masthead.newsletter.postman)."""
