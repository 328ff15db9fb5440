FROM python:3.12
RUN pipx install black
RUN pipenv install --deploy --system
RUN python -m pipx install ruff
RUN pip install --no-cache-dir pipenv==2023.12.1 && pipenv install --system
RUN pip3.12 install httpx
RUN command pip install --no-cache-dir attrs
RUN poetry install --no-root
