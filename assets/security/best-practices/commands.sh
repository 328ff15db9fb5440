# Run these from inside the project folder (my-docker-app).

# A release tag that never moves, and latest beside it (same image ID):
docker build -t my-docker-app:1.0.0 -t my-docker-app .
docker images my-docker-app

# Dangling images: old builds whose name moved on to a newer one. Remove
# only yours, selected by the label from lesson 13:
docker images --filter dangling=true --filter label=org.opencontainers.image.title=my-docker-app
docker image prune --force --filter label=org.opencontainers.image.title=my-docker-app

# Run with limits: at most 256 MB of memory and half a CPU
docker run --rm --memory 256m --cpus 0.5 my-docker-app

# See the limits a container had (memory in bytes, CPUs in billionths):
#   docker inspect --format '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' CONTAINER
