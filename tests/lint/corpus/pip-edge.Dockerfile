FROM python:3.12-slim
RUN pip install --no-cache-dir "flask" "requests==2.31.0"
RUN pip install --no-cache-dir --no-deps flask==3.0.3
RUN pip install --no-cache-dir -t /opt/x flask==3.0.3
RUN pip install --no-cache-dir --user flask==3.0.3 gunicorn
RUN pip install --no-cache-dir flask==3.0.3 && pip install --no-cache-dir requests
RUN pip install --no-cache-dir -r requirements.txt --no-cache-dir
RUN pip install --no-cache-dir --requirement=requirements.txt
RUN pip install --no-cache-dir -rrequirements.txt
RUN pip install --no-cache-dir hg+https://hg.example.com/repo
RUN pip install --no-cache-dir gitpython
RUN pip install --no-cache-dir svn+https://svn.example.com/repo@123
RUN pip install --no-cache-dir https://example.com/pkg.zip
RUN pip install --no-cache-dir pkg-1.0.tar.gz pkg2-2.0-py3-none-any.whl
RUN pip install --no-cache-dir "pkg~=1.2" "other!=1.0" "third===1.0"
RUN pip install --no-cache-dir --extra-index-url https://x/simple pkg==1
RUN pip install --no-cache-dir --find-links /wheels pkg
RUN pip install --no-cache-dir -f /wheels pkg==1.0
RUN pip install --no-cache-dir --progress-bar off pkg==1.0
RUN pip install --no-cache-dir --root-user-action=ignore pkg
RUN pip install --no-cache-dir --root-user-action ignore pkg==1.0
RUN pip wheel --no-cache-dir -w /wheels -r requirements.txt
RUN pip install --no-cache-dir install
RUN python3 -m pip install -U pip
ENV PIP_NO_CACHE_DIR 1
RUN pip install pkg==1.0
