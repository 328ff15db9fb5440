# A simple Python application
print("Hello, Docker!")
