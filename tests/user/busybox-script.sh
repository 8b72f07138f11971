# Run by busybox sh, on the host's busybox and on Debian's riscv64 busybox under Strata; the
# outputs must be identical. Everything it prints is deterministic.
set -e
cd "$1"
mkdir -p a/b/c a/d
for i in 1 2 3 4 5; do echo "line $i" > a/b/f$i.txt; done
seq 1 300 | sed 's/$/ x/' > a/d/numbers
printf 'zeta\nalpha\nbeta\ngamma\nalpha\n' > a/words
echo "--- find"
find a -type f | sort
find a -name 'f*.txt' | wc -l
find a -type d | sort
echo "--- sort"
sort a/words
sort -u a/words
sort -r a/words | head -n 2
sort -n -r a/d/numbers | head -n 3
sort -k2 -t' ' a/d/numbers | tail -n 1
echo "--- pipes and redirections"
cat a/b/f*.txt | tr 'a-z' 'A-Z' | grep -c LINE
(echo one; echo two) > out.txt
echo three >> out.txt
cat < out.txt
wc -l < out.txt
echo to-stderr 2>&1 >/dev/null | cat
{ echo inner; false || echo recovered; } | sed 's/^/> /'
awk '{ n[$1]++ } END { for (w in n) print w, n[w] }' a/words | sort
cut -c1-3 a/words | uniq -c
printf '%s-%d\n' x 1 y 2
echo "--- sha256sum"
sha256sum a/words a/d/numbers
cat a/d/numbers a/words | sha256sum
md5sum a/words
echo "--- gzip"
i=0
while [ $i -lt 3000 ]; do echo "row $i $((i * i % 97)) $((i ^ 1234))"; i=$((i + 1)); done > data
gzip -9 -c data > data.gz
gunzip -c data.gz | sha256sum
sha256sum data
gzip -t data.gz && echo gzip-test-ok
cp data d2
gzip d2
ls d2*
gunzip d2.gz
cmp data d2 && echo round-trip-ok
gzip -1 -c data | gunzip | cmp - data && echo level-1-ok
echo "--- files"
ls -1 a a/b | sort
find a -type f -exec wc -c {} + | sort -k2 | tail -n 3
xargs -n 2 echo < a/words
ln -s words a/link
readlink a/link
[ -L a/link ] && echo is-link
expr 6 \* 7
basename /x/y/z.txt .txt
dirname /x/y/z.txt
echo $((1 << 20))
rm -r a
[ -e a ] || echo removed
