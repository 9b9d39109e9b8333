"""The editorial workflow: who may write and who may publish, review, and scheduled publishing."""
