# Ein kleines Programm für Docker
print("Hello, Docker!")
