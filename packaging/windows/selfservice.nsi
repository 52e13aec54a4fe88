; The Windows installer: Selfservice for every user of the computer, in
; Program Files (64-bit), with a Start menu shortcut, an uninstaller and
; its entry in Installed apps. /S installs (and Uninstall.exe /S removes)
; without any window, for IT's deployment tools.
;
; scripts/package-windows.sh builds it (makensis) with these defines:
;   VERSION  the version of FyneApp.toml, e.g. 0.1.0
;   BUILD    its build number, e.g. 1
;   WEBSITE  its website
;   EXE      the cross-built Selfservice.exe
;   DLLDIR   the directory of the libfido2 DLLs the exe loads (the
;            script checks that these are all it loads)
;   ICON     the app's icon as an .ico
;   OUTFILE  the installer to write
;
; The managed configuration (%ProgramData%\Selfservice\config.json) is
; IT's: neither the installer nor the uninstaller touches it.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!define NAME "Selfservice"
!define PUBLISHER "Selfservice"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${NAME}"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include x64.nsh
!include WinVer.nsh

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${NAME}"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION}.${BUILD}"
VIFileVersion "${VERSION}.${BUILD}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; No finish page with "Run Selfservice": started from the installer, the
; app would run with its administrator rights.
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The app's languages; the installer speaks Windows' display language.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "German"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Czech"

VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${NAME} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

LangString NeedsWindows ${LANG_ENGLISH} "${NAME} needs 64-bit Windows 10 or newer."
LangString NeedsWindows ${LANG_GERMAN} "${NAME} benötigt Windows 10 oder neuer in der 64-Bit-Version."
LangString NeedsWindows ${LANG_FRENCH} "${NAME} nécessite Windows 10 ou une version plus récente, en 64 bits."
LangString NeedsWindows ${LANG_CZECH} "${NAME} vyžaduje 64bitový systém Windows 10 nebo novější."
LangString NeedsVCRuntime ${LANG_ENGLISH} "${NAME} needs the Microsoft Visual C++ Redistributable (x64). Please install it first: https://aka.ms/vs/17/release/vc_redist.x64.exe"
LangString NeedsVCRuntime ${LANG_GERMAN} "${NAME} benötigt Microsoft Visual C++ Redistributable (x64). Bitte installieren Sie es zuerst: https://aka.ms/vs/17/release/vc_redist.x64.exe"
LangString NeedsVCRuntime ${LANG_FRENCH} "${NAME} nécessite Microsoft Visual C++ Redistributable (x64). Veuillez d'abord l'installer : https://aka.ms/vs/17/release/vc_redist.x64.exe"
LangString NeedsVCRuntime ${LANG_CZECH} "${NAME} vyžaduje Microsoft Visual C++ Redistributable (x64). Nainstalujte jej prosím nejprve: https://aka.ms/vs/17/release/vc_redist.x64.exe"

LangString AppRunning ${LANG_ENGLISH} "${NAME} is running. Please close it, then click Retry."
LangString AppRunning ${LANG_GERMAN} "${NAME} wird ausgeführt. Bitte schließen Sie es und klicken Sie dann auf Wiederholen."
LangString AppRunning ${LANG_FRENCH} "${NAME} est en cours d'exécution. Veuillez le fermer, puis cliquer sur Réessayer."
LangString AppRunning ${LANG_CZECH} "Aplikace ${NAME} je spuštěna. Zavřete ji prosím a potom klikněte na Opakovat."

; Windows keeps a running program's files: if Selfservice runs (its exe
; cannot be opened for writing), asks to close it; silently, stops with
; exit code 2, for the deployment tool to try again later.
!macro WaitUntilClosed
	${If} ${FileExists} "$INSTDIR\${NAME}.exe"
		${Do}
			ClearErrors
			FileOpen $0 "$INSTDIR\${NAME}.exe" a
			${IfNot} ${Errors}
				FileClose $0
				${Break}
			${EndIf}
			${If} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDCANCEL`
				SetErrorLevel 2
				Abort
			${EndIf}
		${Loop}
	${EndIf}
!macroend

Function .onInit
	SetShellVarContext all
	SetRegView 64
	; Go programs run on Windows 10 and newer.
	${IfNot} ${RunningX64}
	${OrIfNot} ${AtLeastWin10}
		MessageBox MB_OK|MB_ICONSTOP "$(NeedsWindows)" /SD IDOK
		SetErrorLevel 2
		Quit
	${EndIf}
	; The libfido2 DLLs are built with Visual C++ and load its runtime.
	${DisableX64FSRedirection}
	${IfNot} ${FileExists} "$WINDIR\System32\vcruntime140.dll"
		${EnableX64FSRedirection}
		MessageBox MB_OK|MB_ICONSTOP "$(NeedsVCRuntime)" /SD IDOK
		SetErrorLevel 2
		Quit
	${EndIf}
	${EnableX64FSRedirection}
	; An update goes where the installed version is, unless /D says where.
	ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
	${If} $0 != ""
	${AndIf} $INSTDIR == "$PROGRAMFILES64\${NAME}"
		StrCpy $INSTDIR $0
	${EndIf}
FunctionEnd

Section
	!insertmacro WaitUntilClosed
	SetOutPath "$INSTDIR"
	File "/oname=${NAME}.exe" "${EXE}"
	File "${DLLDIR}/fido2.dll"
	File "${DLLDIR}/crypto-45.dll"
	WriteUninstaller "$INSTDIR\Uninstall.exe"
	CreateShortcut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\${NAME}.exe"

	WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
	WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
	WriteRegStr HKLM "${UNINSTALL_KEY}" "URLInfoAbout" "${WEBSITE}"
	WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${NAME}.exe,0"
	WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
	WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
	WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Function un.onInit
	SetShellVarContext all
	SetRegView 64
FunctionEnd

; Removes what the installer put there, file by file: a directory chosen
; with /D may hold other files, and %ProgramData%\Selfservice stays.
Section "Uninstall"
	!insertmacro WaitUntilClosed
	Delete "$SMPROGRAMS\${NAME}.lnk"
	Delete "$INSTDIR\${NAME}.exe"
	Delete "$INSTDIR\fido2.dll"
	Delete "$INSTDIR\crypto-45.dll"
	Delete "$INSTDIR\Uninstall.exe"
	RMDir "$INSTDIR"
	DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
