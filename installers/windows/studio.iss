; Inno Setup script for Studio on Windows: installs the PyInstaller one-folder build
; (dist\studio\) per user or for all users, with a Start menu entry and an uninstaller.
; Built by .github/workflows/installers.yml:  iscc /DAppVersion=0.1.0 installers\windows\studio.iss

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1C2A0E-8E0B-4C55-9E55-2B7D6C1E5A10}
AppName=Studio
AppVersion={#AppVersion}
AppPublisher=Studio
DefaultDirName={autopf}\Studio
DefaultGroupName=Studio
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=Studio-{#AppVersion}-setup
SetupIconFile=..\common\studio.ico
UninstallDisplayIcon={app}\studio.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\studio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Studio"; Filename: "{app}\studio.exe"; Parameters: "app"; IconFilename: "{app}\studio.exe"
Name: "{group}\Uninstall Studio"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Studio"; Filename: "{app}\studio.exe"; Parameters: "app"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\studio.exe"; Parameters: "app"; Description: "Open Studio"; Flags: nowait postinstall skipifsilent
