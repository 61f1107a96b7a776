#!/bin/sh
# check-complete.sh XGETTEXT SOURCE_DIR LANG.po WORK_DIR KEYWORDS... — exit 1,
# listing them, when a message of the sources has no translation in LANG.po.
set -eu
xgettext=$1 source=$2 po=$3 work=$4
shift 4
mkdir -p "$work"
cd "$source"
find generator -name '*.c' | LC_ALL=C sort > "$work/POTFILES"
"$xgettext" --from-code=UTF-8 --language=C "$@" --files-from="$work/POTFILES" \
  --output="$work/messages.pot" 2>/dev/null
msgmerge --quiet --no-fuzzy-matching --output-file="$work/merged.po" "$po" "$work/messages.pot"
# the first line of each untranslated message; "%s" passes a message on as
# it is and needs no translation
msgattrib --untranslated --no-obsolete --no-wrap "$work/merged.po" |
  grep -A1 '^msgid ' | grep -v -e '^msgid ""$' -e '^msgid "%s"$' -e '^msgstr' -e '^--$' \
  > "$work/untranslated.txt" || true
if [ -s "$work/untranslated.txt" ]; then
  echo "messages without a translation in $po (run: cmake --build build --target nianbao-pot, then translate them):"
  cat "$work/untranslated.txt"
  exit 1
fi
echo "every message has its translation in $po"
