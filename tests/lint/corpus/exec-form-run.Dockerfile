FROM python:3.12-slim
RUN ["pip", "install", "flask"]
RUN ["pip", "install", "--no-cache-dir", "flask==3.0.3"]
RUN ["/bin/sh", "-c", "pip install requests"]
RUN ["apt-get", "install", "-y", "curl"]
RUN ["sudo", "ls"]
