"""The unanswered-question queue: lazy table model and page."""
