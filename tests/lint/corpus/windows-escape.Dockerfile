# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app
RUN Invoke-WebRequest https://example.com/x.zip -OutFile x.zip ; `
    Expand-Archive x.zip -DestinationPath C:\x | Out-Null
COPY . .
USER ContainerUser
CMD ["powershell", "-File", "C:\\app\\start.ps1"]
