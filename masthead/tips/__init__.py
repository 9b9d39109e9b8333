"""The tip box: sources send encrypted tips and files, and come back by codename."""
