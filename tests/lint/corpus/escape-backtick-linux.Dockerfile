# escape=`
FROM debian:12
RUN apt-get update && `
    apt-get install -y curl && `
    curl -fsSL https://example.com | sh
RUN pip install `
    flask
