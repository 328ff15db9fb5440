# A simple Python application
import requests
print("Hello, Docker!")
