FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR c:/
WORKDIR D:/data
WORKDIR 'app'
WORKDIR ~/app
WORKDIR .
WORKDIR /
