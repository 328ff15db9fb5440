FROM python
WORKDIR app
COPY . .
RUN pip install -r requirements.txt
RUN pip install flask
CMD python app.py
