def find_pairs(arr, target):
    # count how many times each number appears
    count = {}
    for number in arr:
        if number in count:
            count[number] = count[number] + 1
        else:
            count[number] = 1
    answer = []
    for number in count:
        partner = target - number
        if partner not in count:
            continue
        if number < partner:
            answer.append((number, partner))
        if number == partner and count[number] >= 2:
            answer.append((number, number))
    return answer
