package milvus

// #include <milvus.h>
import "C"

import "encoding/json"

// connectOptions: milvus_client_connect's options_json.
type connectOptions struct {
	URI           string   `json:"uri"`
	User          string   `json:"user,omitempty"`
	Password      string   `json:"password,omitempty"`
	Token         string   `json:"token,omitempty"`
	DBName        string   `json:"db_name,omitempty"`
	Timeout       *float64 `json:"timeout,omitempty"`
	Secure        bool     `json:"secure,omitempty"`
	CAPemPath     string   `json:"ca_pem_path,omitempty"`
	ClientPemPath string   `json:"client_pem_path,omitempty"`
	ClientKeyPath string   `json:"client_key_path,omitempty"`
	ServerName    string   `json:"server_name,omitempty"`
}

// connect opens a connection with milvus_client_connect.
func connect(cfg Config) (*C.milvus_client, error) {
	o := connectOptions{URI: cfg.URI, User: cfg.User, Password: cfg.Password, Token: cfg.Token,
		DBName: cfg.DBName}
	if cfg.Timeout > 0 {
		t := cfg.Timeout.Seconds()
		o.Timeout = &t
	}
	if t := cfg.TLS; t != nil {
		o.Secure = true
		o.CAPemPath, o.ClientPemPath, o.ClientKeyPath, o.ServerName =
			t.CAPemPath, t.ClientPemPath, t.ClientKeyPath, t.ServerName
	}
	opts, err := json.Marshal(o)
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Message: "encoding the options: " + err.Error()}
	}
	var ptr *C.milvus_client
	var cerr *C.milvus_error
	st := C.milvus_client_connect(cBytes(opts), &ptr, &cerr)
	if st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	return ptr, nil
}
