# Run these after building my-docker-app (lesson 7 onwards).

# Install trivy (pick one); it downloads its vulnerability database on first
# use, so the first scan needs the network:
#   brew install trivy                    # macOS, Linux with Homebrew
#   sudo apt-get install trivy            # after adding Aqua's apt repository
#   https://trivy.dev/latest/getting-started/installation/

# Everything trivy finds, grouped by package:
trivy image my-docker-app

# Only what is serious, and only what a newer package already fixes:
trivy image --severity HIGH,CRITICAL --ignore-unfixed my-docker-app

# In a pipeline: exit with code 1 (and fail the job) on any CRITICAL finding
trivy image --severity CRITICAL --exit-code 1 my-docker-app
