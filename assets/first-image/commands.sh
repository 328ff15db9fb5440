# Run these from inside the project folder (my-docker-app).

# Build an image from the Dockerfile in this folder, named my-docker-app:
docker build -t my-docker-app .

# Start a container from it; it prints Hello, Docker! and exits:
docker run my-docker-app

# List your images; my-docker-app with tag latest is among them:
docker images
