FROM python:3.11-slim
RUN pip install flask
RUN pip3 install --no-cache-dir requests==2.31.0
RUN python -m pip install --no-cache-dir "django>=4.2,<5"
RUN python3 -m pip install --user --no-cache-dir numpy
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir --requirement requirements-dev.txt
RUN pip install --no-cache-dir git+https://github.com/psf/requests.git@v2.31.0
RUN pip install --no-cache-dir git+https://github.com/psf/requests.git
RUN pip install --no-cache-dir "uvicorn[standard]"
RUN pip install --no-cache-dir "uvicorn[standard]==0.30.1"
RUN pip install --no-cache-dir flask>=2.0
RUN pip install --no-cache-dir 'flask>=2.0'
RUN pip install --no-cache-dir --upgrade pip
RUN pip install --no-cache-dir -U pip==24.0 setuptools
RUN pip install --no-cache-dir -e .
RUN pip install --no-cache-dir .
RUN pip install --no-cache-dir ./dist/app-1.0-py3-none-any.whl
RUN pip install --no-cache-dir -c constraints.txt celery
RUN pip install --no-cache-dir --index-url https://pypi.example.com/simple internal-lib
RUN pip install --no-cache-dir -i https://pypi.example.com/simple internal-lib==1.2
RUN pip install --no-cache-dir --target /opt/lib boto3==1.34.0
