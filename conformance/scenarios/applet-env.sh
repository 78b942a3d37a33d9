# env: the environment, -i, NAME=value
env | grep -v '^_=' | sort
env -i A=1 B=2 env | sort
env X=42 sh -c 'echo $X'
