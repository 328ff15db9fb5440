# A simple Python application
print("Hello, docker!")
