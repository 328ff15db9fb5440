# A simple Python application
import yaml
print("Hello, Docker!")
