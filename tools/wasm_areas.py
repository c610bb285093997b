#!/usr/bin/env python3
"""Where the page's gzipped code bytes are: each function body of a *named* optimized wasm
(wasm-bindgen --keep-debug, then wasm-opt -Oz --reorder-functions-by-name -g, as the page
is built but with names kept) is put in an area by its name, and each
area's bodies are gzipped together. Areas overlap in gzip's window, so their sum is a bit
over the whole; the ranking is what matters. Usage: tools/wasm_areas.py FILE.wasm [--top N]
(--top N also lists the N largest functions by their own gzipped size)
(tools/lib.sh build_web makes dist/ without names; see docs/architecture.md for the steps)."""
import sys,zlib,re,collections
b=open(sys.argv[1],'rb').read()
def leb(b,i):
    r=s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80:return r,i
i=8;secs=[]
while i<len(b):
    sid=b[i];i+=1;n,i=leb(b,i);secs.append((sid,i,n));i+=n
nimp=0
for sid,s,n in secs:
    if sid==2:
        c,j=leb(b,s)
        for _ in range(c):
            l,j=leb(b,j);j+=l;l,j=leb(b,j);j+=l
            k=b[j];j+=1
            if k==0: _,j=leb(b,j);nimp+=1
            elif k==1: j+=1; f=b[j];j+=1; _,j=leb(b,j); j=leb(b,j)[1] if f&1 else j
            elif k==2: f=b[j];j+=1; _,j=leb(b,j); j=leb(b,j)[1] if f&1 else j
            elif k==3: j+=2
            elif k==4: j+=1; _,j=leb(b,j)
bodies=[]
for sid,s,n in secs:
    if sid==10:
        c,j=leb(b,s)
        for _ in range(c):
            l,j=leb(b,j);bodies.append(b[j:j+l]);j+=l
names={}
for sid,s,n in secs:
    if sid==0:
        l,j=leb(b,s);nm=b[j:j+l];j+=l
        if nm!=b'name':continue
        end=s+n
        while j<end:
            sub=b[j];j+=1;sz,j=leb(b,j)
            if sub==1:
                c,k=leb(b,j)
                for _ in range(c):
                    idx,k=leb(b,k);l,k=leb(b,k);names[idx]=b[k:k+l].decode('utf8','replace');k+=l
            j+=sz
def area(name):
    n=re.sub(r'\[[0-9a-f]{16}\]','',name)
    for pat,a in [(r'layerlab_shell::pkg','shell pkg managers'),(r'layerlab_shell::utils','shell utilities'),(r'layerlab_shell','shell core (parse/exec/expand)'),
                  (r'layerlab_web::components|CompStateInner<layerlab_web|FunctionProvider','web components'),(r'layerlab_web::engine::wire','web wire'),(r'layerlab_web','web engine/other'),
                  (r'layerlab_build::bases|layerlab_catalog|BASES','catalog/base images'),(r'layerlab_build','build engine'),(r'layerlab_image','image'),(r'layerlab_dockerfile','dockerfile parser+checks'),
                  (r'layerlab_dockerignore','dockerignore'),(r'layerlab_lesson','lessons'),(r'layerlab_vfs','vfs'),(r'layerlab_text','text/json'),(r'layerlab_share','share'),
                  (r'^<?yew|yew::','yew runtime'),(r'wasm_bindgen|js_sys|web_sys|__wbg','bindgen glue'),(r'miniz','miniz'),(r'sha2','sha2'),(r'drop_in_place','drop glue'),
                  (r'core::fmt|alloc::fmt|flt2dec|bignum','fmt'),(r'core::|alloc::|std::|hashbrown|dlmalloc|compiler_builtins','std/core/alloc')]:
        if re.search(pat,n): return a
    return 'other'
g=collections.defaultdict(list)
for k,body in enumerate(bodies):
    g[area(names.get(k+nimp,'?'))].append(body)
tot_raw=sum(len(x) for x in bodies); allgz=len(zlib.compress(b''.join(bodies),9))
rows=[]
for a,bs in g.items():
    raw=sum(len(x) for x in bs); gz=len(zlib.compress(b''.join(bs),9)); rows.append((gz,raw,a,len(bs)))
print('code raw',tot_raw,'gz(all)',allgz,'sum of area gz',sum(r[0] for r in rows))
for gz,raw,a,n in sorted(rows,reverse=True): print(f'{gz:8d} {raw:8d} {n:5d} {a}')
if '--top' in sys.argv:
    n=int(sys.argv[sys.argv.index('--top')+1])
    top=sorted(((len(zlib.compress(body,9)),len(body),names.get(k+nimp,'?')) for k,body in enumerate(bodies)),reverse=True)[:n]
    for gz,raw,nm in top:
        short=re.sub(r'\[[0-9a-f]{16}\]','',nm)[:150]
        print(f'{gz:8d} {raw:8d} {short}')
