from random import randrange


def quicksort(a):
    st = [(0, len(a))]
    while st:
        lo, hi = st.pop()
        if hi - lo < 2:
            continue
        p = a[randrange(lo, hi)]
        lt, i, gt = lo, lo, hi
        while i < gt:
            x = a[i]
            if x < p:
                a[lt], a[i] = x, a[lt]
                lt += 1
                i += 1
            elif x > p:
                gt -= 1
                a[i], a[gt] = a[gt], x
            else:
                i += 1
        st += [(lo, lt), (gt, hi)]
