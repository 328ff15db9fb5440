# Run these from inside the project folder (my-docker-app).

# Build one image per base; -f picks the Dockerfile, -t names the result:
docker build -f Dockerfile.full   -t my-docker-app:full   .
docker build -f Dockerfile        -t my-docker-app:slim   .
docker build -f Dockerfile.alpine -t my-docker-app:alpine .

# Compare the sizes of the bases and of your three variants:
docker images python
docker images gcr.io/distroless/python3
docker images my-docker-app
