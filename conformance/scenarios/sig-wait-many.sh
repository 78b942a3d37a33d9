# several background jobs, then wait for all
for i in 1 2 3; do (: job $i) & done
wait
echo "all done"
