# kill -0 probes a live process
kill -0 $$; echo "self: $?"
