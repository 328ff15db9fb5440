FROM python:3.12-slim
FROM python:3.12-slim
RUN pip install $PKG
FROM python:3.12-slim
RUN pip install "${PKG}==1"
FROM python:3.12-slim
RUN pip install flask==$(cat v)
FROM python:3.12-slim
RUN pip install "$(cat reqs)"
FROM python:3.12-slim
RUN pip install $(cat /tmp/reqs)
FROM python:3.12-slim
RUN pip install `cat reqs`
FROM python:3.12-slim
RUN pip install flask\>=2
FROM python:3.12-slim
RUN pip install flask\=\=2
FROM python:3.12-slim
RUN pip install "flask"==2
FROM python:3.12-slim
RUN pip install 'flask'>=2
FROM python:3.12-slim
RUN pip install -- flask
FROM python:3.12-slim
RUN pip install - flask==1
FROM python:3.12-slim
RUN pip install -qqq flask
FROM python:3.12-slim
RUN pip install -Ur requirements.txt
FROM python:3.12-slim
RUN pip install -rrequirements.txt flask
FROM python:3.12-slim
RUN pip install --requirement requirements.txt --constraint c.txt
FROM python:3.12-slim
RUN pip install -e git+https://github.com/a/b#egg=b
FROM python:3.12-slim
RUN pip install --editable=git+https://github.com/a/b#egg=b flask
FROM python:3.12-slim
RUN pip install -b /tmp/build flask==1
FROM python:3.12-slim
RUN pip install --src /src -e git+https://x/y.git#egg=y
FROM python:3.12-slim
RUN pip install --python-version 3.12 --only-binary=:all: --platform manylinux2014_x86_64 --target /t numpy==1.26
FROM python:3.12-slim
RUN pip install --platform manylinux2014_x86_64 --target /t numpy
FROM python:3.12-slim
RUN pip install --prefix=/usr/local flask
FROM python:3.12-slim
RUN pip install --implementation cp flask==1
FROM python:3.12-slim
RUN pip install --abi cp312 flask==1
FROM python:3.12-slim
RUN pip install --upgrade-strategy eager flask==1
FROM python:3.12-slim
RUN pip install --trusted-host pypi.org flask==1
FROM python:3.12-slim
RUN pip install --proxy http://proxy:3128 flask==1
FROM python:3.12-slim
RUN pip install --root /r flask==1
FROM python:3.12-slim
RUN pip install install flask
FROM python:3.12-slim
RUN pip install flask install
FROM python:3.12-slim
RUN pip3 install --break-system-packages flask
FROM python:3.12-slim
RUN python3.12 -m pip install flask
FROM python:3.12-slim
RUN python -m pip install -r requirements.txt
FROM python:3.12-slim
RUN pip install ./
FROM python:3.12-slim
RUN pip install ../lib
FROM python:3.12-slim
RUN pip install /wheels/*.whl
FROM python:3.12-slim
RUN pip install *.whl
FROM python:3.12-slim
RUN pip install "git+ssh://git@github.com/a/b.git@main"
FROM python:3.12-slim
RUN pip install "https://github.com/a/b/archive/main.zip"
FROM python:3.12-slim
RUN pip install flask[async]==2
FROM python:3.12-slim
RUN PIP_NO_CACHE_DIR=10 pip install flask==1
FROM python:3.12-slim
RUN pip install --no-cache-dir=false flask==1
FROM python:3.12-slim
RUN pip install --no-cache flask==1
FROM python:3.12-slim
RUN pip install flask==1 --no-cache-dir && pip install requests==1
FROM python:3.12-slim
RUN pip install flask==1 --no-cache-dir; pip3 install requests==1
FROM python:3.12-slim
RUN uv pip install flask
FROM python:3.12-slim
RUN pip-compile requirements.in
FROM python:3.12-slim
RUN pipx run black
FROM python:3.12-slim
RUN pip3 download flask
FROM python:3.12-slim
RUN sudo pip install flask==1
FROM python:3.12-slim
RUN cd /app && pip install -r requirements.txt
