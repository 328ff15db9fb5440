FROM debian:12
WORKDIR /
RUN single
RUN echo ${VAR:-$(date)}
WORKDIR /
RUN single
RUN echo {a,b}
WORKDIR /
RUN single
RUN arr=(a b) && echo ${arr[@]}
WORKDIR /
RUN single
RUN echo $'a\'b' | cat
WORKDIR /
RUN single
RUN cmd1 & cmd2
WORKDIR /
RUN single
RUN echo a\ b | c
WORKDIR /
RUN single
RUN ( a ) | b
WORKDIR /
RUN single
RUN ! a
WORKDIR /
RUN single
RUN a 2>/dev/null || b
WORKDIR /
RUN single
RUN exec 3>&1
WORKDIR /
RUN single
RUN echo >&2 hi
WORKDIR /
RUN single
RUN cat <<< "x"
WORKDIR /
RUN single
RUN a &>/dev/null
WORKDIR /
RUN single
RUN (( i++ ))
WORKDIR /
RUN single
RUN for ((i=0;i<3;i++)); do echo $i; done
WORKDIR /
RUN single
RUN while read l; do echo $l; done < file
WORKDIR /
RUN single
RUN function f { echo; }
WORKDIR /
RUN single
RUN if true; then :; fi
WORKDIR /
RUN single
RUN echo "unterminated $(
WORKDIR /
RUN single
RUN echo `echo a | b`
WORKDIR /
RUN single
RUN x=`a` y=$(b)
WORKDIR /
RUN single
RUN echo ${#arr[@]} ${x/a/b} ${x%%.*}
WORKDIR /
RUN single
RUN echo $(( $(a) + 1 ))
WORKDIR /
RUN single
RUN a && b | c
WORKDIR /
RUN single
RUN a; b
WORKDIR /
RUN single
RUN echo 'it''s'
WORKDIR /
RUN single
RUN echo "a" "b" | tee >(cat) > /dev/null
WORKDIR /
RUN single
RUN diff <(a) <(b)
WORKDIR /
RUN single
RUN eval "a | b"
WORKDIR /
RUN single
RUN a |
WORKDIR /
RUN single
RUN b
WORKDIR /
RUN single
RUN echo # comment | not a pipe
WORKDIR /
RUN single
RUN echo a#b | c
WORKDIR /
RUN single
RUN time a
WORKDIR /
RUN single
RUN { a; } | b
WORKDIR /
RUN single
RUN [ -f x ]
WORKDIR /
RUN single
RUN test -f x
WORKDIR /
RUN single
RUN [[ a ]] || [ b ]
WORKDIR /
RUN single
RUN echo $((1<2))
WORKDIR /
RUN single
RUN echo "$(case x in a) b;; esac)"
WORKDIR /
RUN single
RUN echo ]] | x
WORKDIR /
RUN single
RUN select x in a b; do echo $x; done
WORKDIR /
RUN single
RUN until false; do a; done
WORKDIR /
RUN single
RUN a ;
WORKDIR /
RUN single
RUN a & 
WORKDIR /
RUN single
RUN if a; then b; fi | c
WORKDIR /
RUN single
RUN echo $"localized"
WORKDIR /
RUN single
RUN FOO=bar
WORKDIR /
RUN single
RUN FOO=bar BAZ=$(qux)
WORKDIR /
RUN single
RUN export A=1
WORKDIR /
RUN single
RUN local x=1
WORKDIR /
RUN single
RUN declare -a x=(1 2)
WORKDIR /
RUN single
RUN let x=1+2
WORKDIR /
RUN single
RUN echo !x
WORKDIR /
RUN single
RUN echo a|b|c
WORKDIR /
RUN single
RUN coproc a
WORKDIR /
RUN single
RUN nohup a > /dev/null 2>&1 &
WORKDIR /
RUN single
RUN trap 'rm -f x' EXIT
WORKDIR /
RUN single
RUN . ./env.sh
WORKDIR /
RUN single
RUN source ./env.sh
WORKDIR /
RUN single
RUN echo \$(notcmd)
WORKDIR /
RUN single
RUN echo "\$(notcmd)"
