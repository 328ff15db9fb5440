# Run these after building my-docker-app (lesson 7 onwards).

# Install trivy 0.70.0 or newer (never 0.69.4: a tampered release, March
# 2026, CVE-2026-33634; check the project's security advisories first).
# Pick one:
#   brew install trivy                    # macOS, Linux with Homebrew
#   sudo apt-get install trivy            # after adding Aqua's GPG-signed apt repository
# or download a release and verify it before running it:
V=0.70.0
curl -LO "https://github.com/aquasecurity/trivy/releases/download/v$V/trivy_${V}_Linux-64bit.tar.gz"
curl -LO "https://github.com/aquasecurity/trivy/releases/download/v$V/trivy_${V}_checksums.txt"
sha256sum --ignore-missing -c "trivy_${V}_checksums.txt"    # must print: OK
tar -xzf "trivy_${V}_Linux-64bit.tar.gz" trivy    # then run it as ./trivy, or move it onto your PATH
# It downloads its vulnerability database on first use, so the first scan
# needs the network.

# Everything trivy finds, grouped by package:
trivy image my-docker-app

# Only what is serious, and only what a newer package already fixes:
trivy image --severity HIGH,CRITICAL --ignore-unfixed my-docker-app

# In a pipeline: exit with code 1 (and fail the job) on any CRITICAL finding
trivy image --severity CRITICAL --exit-code 1 my-docker-app
