# A simple Python application
# Edited after the first build: only the layers from COPY . . on are rebuilt.
print("Hello, Docker!")
