package milvus

// The C side of SetLogger: cgo's export of milvusGoLog takes char *, the callback type
// const char *; this adapter (in its own file: a file with //export may hold no C
// definitions) bridges the two.

/*
#include <milvus.h>
extern void milvusGoLog(void *, milvus_log_level, char *, char *, char *, char *);
static void milvus_go_log(void *u, milvus_log_level l, const char *t, const char *m,
                          const char *me, const char *id) {
    milvusGoLog(u, l, (char *)t, (char *)m, (char *)me, (char *)id);
}
static milvus_status milvus_go_set_log(const char *filter, int on, milvus_error **err) {
    return milvus_log_set_callback(filter, on ? milvus_go_log : NULL, NULL, err);
}
*/
import "C"

func setCallback(filter *C.char, on bool, err **C.milvus_error) C.milvus_status {
	flag := C.int(0)
	if on {
		flag = 1
	}
	return C.milvus_go_set_log(filter, flag, err)
}
