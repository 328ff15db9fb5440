# A simple Python application.
# TODO: make it print the greeting  Hello, Docker!
