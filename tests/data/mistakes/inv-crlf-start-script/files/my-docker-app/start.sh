python app.py
