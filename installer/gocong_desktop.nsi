; gocong_desktop – bộ cài đặt cho Windows 10/11 (64 bit), NSIS 3 (Unicode), giao diện tiếng Việt.
;
; Build (see installer/README.md; installer/build_windows.ps1 does all of it):
;   makensis /DVERSION=0.1.0 /DVERSION_NUMERIC=0.1.0.0 /DBUNDLE_DIR=..\dist\gocong-desktop installer\gocong_desktop.nsi
; BUNDLE_DIR is PyInstaller's one-folder output; relative paths are relative to this file.
;
; Installs for all users into Program Files (asks for administrator rights), with a
; Start-menu and a desktop shortcut and .gcsync files opening in the app.
; The uninstaller removes only what the installer put there: the user's data folder
; (%LOCALAPPDATA%\gocong_desktop – database, backups, logs) is never touched.

Unicode true
ManifestDPIAware true
!ifdef FAST_CHECK  ; a syntax check against a bundle (installer/smoke_test.py): seconds, not minutes
  SetCompress off
!else
  SetCompressor /SOLID lzma
  SetCompressorDictSize 64
!endif

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

; ---- what is built -------------------------------------------------------
!ifndef VERSION
  !error "Hãy cho số phiên bản: makensis /DVERSION=x.y.z ..."
!endif
!ifndef VERSION_NUMERIC
  !searchparse /noerrors "${VERSION}" "" V_MAJOR "." V_MINOR "." V_PATCH
  !define VERSION_NUMERIC "${V_MAJOR}.${V_MINOR}.${V_PATCH}.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\dist\gocong-desktop"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\gocong-desktop-${VERSION}-setup.exe"
!endif
!ifndef APP_EXE
  !define APP_EXE "gocong-desktop.exe"
!endif
!ifndef CLI_EXE
  !define CLI_EXE "gocong-desktop-cli.exe"
!endif

!ifdef SIGN_INCLUDE  ; written by build_windows.ps1 -Sign: !finalize / !uninstfinalize with signtool
  !include "${SIGN_INCLUDE}"
!endif

!define APP_NAME "gocong_desktop"
!define APP_DESCRIPTION "Sổ theo dõi phong trào Toàn dân bảo vệ an ninh Tổ quốc cấp xã"
!define PUBLISHER "gocong_desktop"
!define ICON_FILE "..\resources\icons\gocong.ico"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
!define SYNC_EXT ".gcsync"
!define SYNC_PROGID "gocong_desktop.gcsync"

Name "${APP_NAME} ${VERSION}"
Caption "Cài đặt ${APP_NAME} ${VERSION}"
UninstallCaption "Gỡ cài đặt ${APP_NAME} ${VERSION}"
BrandingText "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "Software\${APP_NAME}" "InstallDir"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show

; ---- pages (Modern UI 2, Vietnamese) --------------------------------------
!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "Bạn có chắc muốn dừng cài đặt ${APP_NAME}?"

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP_DESCRIPTION}.$\r$\n$\r$\nPhần mềm chạy trên Windows 10 và Windows 11 (bản 64 bit), không cần Internet.$\r$\n$\r$\nNếu ${APP_NAME} đang mở, hãy đóng lại trước khi tiếp tục. Cài bản mới đè lên bản cũ không làm mất dữ liệu.$\r$\n$\r$\nBấm «Tiếp» để tiếp tục."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "Đã cài đặt xong ${APP_NAME}"
!define MUI_FINISHPAGE_TEXT "${APP_NAME} đã được cài vào máy. Mở phần mềm từ biểu tượng trên màn hình nền hoặc trong menu Start.$\r$\n$\r$\nBấm F1 trong phần mềm để xem hướng dẫn sử dụng."
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP_NAME} ngay bây giờ"
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsDesktopUser
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "${APP_NAME} sẽ được gỡ khỏi máy này.$\r$\nDữ liệu của đơn vị (tệp gocong.db), các bản sao lưu và nhật ký trong thư mục %LOCALAPPDATA%\${APP_NAME} được GIỮ NGUYÊN, không bị xóa."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"

; ---- file properties of the installer itself -------------------------------
VIProductVersion "${VERSION_NUMERIC}"
VIFileVersion "${VERSION_NUMERIC}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileDescription" "Bộ cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "LegalCopyright" "${PUBLISHER}"

; ---- checks before anything is done ---------------------------------------
Function .onInit
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} cần Windows 10 hoặc Windows 11. Máy này chạy phiên bản Windows cũ hơn nên không cài được." /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} cần Windows bản 64 bit. Máy này chạy Windows 32 bit nên không cài được." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; The installer runs as administrator: start the app through Explorer so that it
; runs as the signed-in user (their data folder, their settings), not elevated.
Function RunAsDesktopUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${APP_EXE}"'
FunctionEnd

; ---- install -------------------------------------------------------------
Section "${APP_NAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; Files of an older version go first, so nothing stale stays in _internal.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "${APP_DESCRIPTION}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Gỡ cài đặt ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "${APP_DESCRIPTION}"

  ; .gcsync (sync packages carried on a USB stick) open in the app.
  WriteRegStr HKLM "Software\Classes\${SYNC_EXT}" "" "${SYNC_PROGID}"
  WriteRegStr HKLM "Software\Classes\${SYNC_PROGID}" "" "Tệp đồng bộ ${APP_NAME}"
  WriteRegStr HKLM "Software\Classes\${SYNC_PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "Software\Classes\${SYNC_PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED

  ; Settings › Apps (Add/Remove Programs).
  WriteRegStr HKLM "Software\${APP_NAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME} – ${APP_DESCRIPTION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; ---- uninstall -----------------------------------------------------------
Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  ; Only what the installer wrote. The data folder of each user (database,
  ; backups, logs) is deliberately left alone; so are the user's settings.
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: never a recursive delete of a folder the user chose

  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\Gỡ cài đặt ${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  ReadRegStr $0 HKLM "Software\Classes\${SYNC_EXT}" ""
  ${If} $0 == "${SYNC_PROGID}"  ; still ours: another program may have taken it since
    DeleteRegKey HKLM "Software\Classes\${SYNC_EXT}"
  ${EndIf}
  DeleteRegKey HKLM "Software\Classes\${SYNC_PROGID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "Software\${APP_NAME}"
SectionEnd
