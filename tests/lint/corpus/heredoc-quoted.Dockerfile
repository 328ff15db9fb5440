FROM debian:12
RUN <<"EOF"
apt-get update
echo "$HOME"
EOF

RUN <<'EOF'
pip install flask
EOF

RUN <<EOF
echo one
EOF

RUN <<EOF
echo two
EOF

RUN echo three
