# kill -0 probes a live process
# blocked-by: 15
kill -0 $$; echo "self: $?"
