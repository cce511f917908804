-- SPDX-License-Identifier: GPL-2.0-only
--
-- ttp.lua: a Wireshark dissector for TTP, the Toy Transport Protocol
-- (IP protocol 253, Documentation/protocol.rst).
--
--   wireshark -X lua_script:ttp.lua capture.pcap
--   tshark -X lua_script:ttp.lua -r capture.pcap -Y toyttp.analysis.retransmission
--
-- or copy it to ~/.local/lib/wireshark/plugins/ (make -C userspace install
-- puts it in PREFIX/lib/wireshark/plugins/).  Its display filter name is
-- "toyttp": Wireshark already has a protocol called "ttp" (the Tiny
-- Transport Protocol, over TCP), and two protocols cannot share a name.
--
-- Every header field, flag and option (SACK blocks and the authentication
-- option included); the checksum verified in the algorithm the TTPF_CRC
-- flag names (Internet or CRC32C, over the pseudo-header); and what TCP's
-- dissector analyses: conversations (toyttp.stream), relative sequence
-- and acknowledgment numbers, the window scaled as the handshake agreed,
-- retransmissions, duplicate ACKs, window updates, zero windows and
-- probes.  The Info column starts with the segment's role: SYN, SYN+ACK,
-- data, ACK, FIN, RST, window update, duplicate ACK, retransmission,
-- window probe, keep-alive.

local ttp = Proto("toyttp", "TTP, the Toy Transport Protocol")

local TTPF_FIN, TTPF_SYN, TTPF_RST = 0x01, 0x02, 0x04
local TTPF_PSH, TTPF_ACK, TTPF_CRC = 0x08, 0x10, 0x20

local OPT = {
	END = 0, NOP = 1, MSS = 2, WSCALE = 3, CSUM = 4, SACK_OK = 5,
	SACK = 6, AUTH = 7, TIMESTAMP = 8,
}
local opt_names = {
	[0] = "End of options", [1] = "No operation", [2] = "Maximum segment size",
	[3] = "Window scale", [4] = "Checksum algorithms", [5] = "SACK permitted",
	[6] = "SACK", [7] = "Authentication", [8] = "Timestamps",
}
-- The fixed length of each option that has one (the spec's table).
local opt_len = { [2] = 4, [3] = 3, [4] = 3, [5] = 2, [7] = 18, [8] = 10 }

local status_names = { [0] = "Bad", [1] = "Good", [2] = "Unverified" }
local algo_names = { [0] = "Internet (RFC 1071)", [1] = "CRC32C" }

local f = {
	srcport = ProtoField.uint16("toyttp.srcport", "Source Port"),
	dstport = ProtoField.uint16("toyttp.dstport", "Destination Port"),
	port = ProtoField.uint16("toyttp.port", "Source or Destination Port"),
	stream = ProtoField.uint32("toyttp.stream", "Stream index"),
	seq = ProtoField.uint32("toyttp.seq", "Sequence Number (relative)"),
	seq_raw = ProtoField.uint32("toyttp.seq_raw", "Sequence Number (raw)"),
	nxtseq = ProtoField.uint32("toyttp.nxtseq", "Next Sequence Number (relative)"),
	ack = ProtoField.uint32("toyttp.ack", "Acknowledgment Number (relative)"),
	ack_raw = ProtoField.uint32("toyttp.ack_raw", "Acknowledgment Number (raw)"),
	version = ProtoField.uint8("toyttp.version", "Version", base.DEC, nil, 0xf0),
	doff = ProtoField.uint8("toyttp.doff", "Header Length (32-bit words)", base.DEC, nil, 0x0f),
	hdr_len = ProtoField.uint8("toyttp.hdr_len", "Header Length (bytes)"),
	flags = ProtoField.uint8("toyttp.flags", "Flags", base.HEX),
	flag_res = ProtoField.uint8("toyttp.flags.res", "Reserved", base.HEX, nil, 0xc0),
	flag_crc = ProtoField.bool("toyttp.flags.crc", "CRC32C", 8, nil, TTPF_CRC),
	flag_ack = ProtoField.bool("toyttp.flags.ack", "Acknowledgment", 8, nil, TTPF_ACK),
	flag_psh = ProtoField.bool("toyttp.flags.push", "Push", 8, nil, TTPF_PSH),
	flag_rst = ProtoField.bool("toyttp.flags.reset", "Reset", 8, nil, TTPF_RST),
	flag_syn = ProtoField.bool("toyttp.flags.syn", "Syn", 8, nil, TTPF_SYN),
	flag_fin = ProtoField.bool("toyttp.flags.fin", "Fin", 8, nil, TTPF_FIN),
	flags_str = ProtoField.string("toyttp.flags.str", "Flags"),
	window_value = ProtoField.uint16("toyttp.window_size_value", "Window"),
	window = ProtoField.uint32("toyttp.window_size", "Calculated window size"),
	window_scale = ProtoField.int32("toyttp.window_size_scalefactor",
		"Window size scaling factor (-1 unknown, -2 no scaling)"),
	checksum = ProtoField.uint32("toyttp.checksum", "Checksum", base.HEX),
	checksum_algo = ProtoField.uint8("toyttp.checksum.algorithm", "Checksum algorithm",
		base.DEC, algo_names),
	checksum_status = ProtoField.uint8("toyttp.checksum.status", "Checksum Status",
		base.DEC, status_names),
	checksum_calc = ProtoField.uint32("toyttp.checksum.calculated", "Calculated Checksum", base.HEX),
	len = ProtoField.uint32("toyttp.len", "Segment Len"),
	options = ProtoField.bytes("toyttp.options", "Options"),
	opt_kind = ProtoField.uint8("toyttp.option.kind", "Kind", base.DEC, opt_names),
	opt_len = ProtoField.uint8("toyttp.option.len", "Length"),
	opt_mss = ProtoField.uint16("toyttp.option.mss", "MSS"),
	opt_wscale = ProtoField.uint8("toyttp.option.wscale.shift", "Shift count"),
	opt_wscale_mul = ProtoField.uint32("toyttp.option.wscale.multiplier", "Multiplier"),
	opt_csum = ProtoField.uint8("toyttp.option.csum", "Checksum algorithms", base.HEX),
	opt_csum_inet = ProtoField.bool("toyttp.option.csum.inet", "Internet", 8, nil, 0x01),
	opt_csum_crc = ProtoField.bool("toyttp.option.csum.crc32c", "CRC32C", 8, nil, 0x02),
	opt_csum_offered = ProtoField.string("toyttp.option.csum.offered", "Offered"),
	opt_csum_chosen = ProtoField.string("toyttp.option.csum.chosen", "Chosen"),
	opt_sack_perm = ProtoField.none("toyttp.option.sack_perm", "SACK permitted"),
	opt_sack_le = ProtoField.uint32("toyttp.option.sack_le", "left edge (relative)"),
	opt_sack_re = ProtoField.uint32("toyttp.option.sack_re", "right edge (relative)"),
	opt_sack_count = ProtoField.uint8("toyttp.option.sack.count", "Number of SACK blocks"),
	opt_auth = ProtoField.bytes("toyttp.option.auth", "Authentication data"),
	opt_tsval = ProtoField.uint32("toyttp.option.timestamp.tsval", "Timestamp value"),
	opt_tsecr = ProtoField.uint32("toyttp.option.timestamp.tsecr", "Timestamp echo reply"),
	opt_unknown = ProtoField.bytes("toyttp.option.unknown", "Unknown option"),
	payload = ProtoField.bytes("toyttp.payload", "Payload"),
	role = ProtoField.string("toyttp.role", "Role"),
	analysis = ProtoField.none("toyttp.analysis", "SEQ/ACK analysis"),
	a_retrans = ProtoField.bool("toyttp.analysis.retransmission", "This segment is a retransmission"),
	a_dup_ack = ProtoField.bool("toyttp.analysis.duplicate_ack", "This is a duplicate ACK"),
	a_dup_ack_num = ProtoField.uint32("toyttp.analysis.duplicate_ack_num", "Duplicate ACK #"),
	a_zero_window = ProtoField.bool("toyttp.analysis.zero_window", "This is a zero window"),
	a_window_update = ProtoField.bool("toyttp.analysis.window_update", "This is a window update"),
	a_window_probe = ProtoField.bool("toyttp.analysis.window_probe", "This is a zero window probe"),
	a_keep_alive = ProtoField.bool("toyttp.analysis.keep_alive", "This is a keep-alive"),
	a_acks_frame = ProtoField.framenum("toyttp.analysis.acks_frame",
		"This is an ACK to the segment in frame"),
	a_negotiated = ProtoField.string("toyttp.analysis.negotiated", "Negotiated"),
}
local field_list = {}
for _, v in pairs(f) do
	field_list[#field_list + 1] = v
end
ttp.fields = field_list

local ex = {
	bad_checksum = ProtoExpert.new("toyttp.checksum_bad.expert", "Bad checksum",
		expert.group.CHECKSUM, expert.severity.ERROR),
	retrans = ProtoExpert.new("toyttp.analysis.retransmission.expert",
		"This segment is a retransmission", expert.group.SEQUENCE, expert.severity.NOTE),
	dup_ack = ProtoExpert.new("toyttp.analysis.duplicate_ack.expert",
		"Duplicate ACK", expert.group.SEQUENCE, expert.severity.NOTE),
	zero_window = ProtoExpert.new("toyttp.analysis.zero_window.expert",
		"Zero window", expert.group.SEQUENCE, expert.severity.WARN),
	malformed = ProtoExpert.new("toyttp.malformed.expert", "Malformed segment",
		expert.group.MALFORMED, expert.severity.ERROR),
}
ttp.experts = { ex.bad_checksum, ex.retrans, ex.dup_ack, ex.zero_window, ex.malformed }

ttp.prefs.ipproto = Pref.uint("IP protocol number", 253,
	"The IP protocol TTP runs as (ttp.ko's protocol parameter)")
ttp.prefs.check_checksum = Pref.bool("Verify the checksum", true,
	"Verify each segment's checksum, in the algorithm its CRC flag names")
ttp.prefs.relative = Pref.bool("Relative sequence numbers", true,
	"Show sequence and acknowledgment numbers from the first of each side")

local ip_src_f = Field.new("ip.src")
local ip_dst_f = Field.new("ip.dst")

-- ---- checksums ----

local crc_table = {}
for i = 0, 255 do
	local c = i
	for _ = 1, 8 do
		if bit32.band(c, 1) ~= 0 then
			c = bit32.bxor(bit32.rshift(c, 1), 0x82F63B78)
		else
			c = bit32.rshift(c, 1)
		end
	end
	crc_table[i] = c
end

local function crc32c(crc, s)
	for i = 1, #s do
		crc = bit32.bxor(crc_table[bit32.band(bit32.bxor(crc, s:byte(i)), 0xff)],
			bit32.rshift(crc, 8))
	end
	return crc
end

-- The 16-bit ones' complement sum of @s (an even number of bytes first).
local function inet_sum(sum, s)
	local n = #s
	for i = 1, n - 1, 2 do
		sum = sum + s:byte(i) * 256 + s:byte(i + 1)
	end
	if n % 2 == 1 then
		sum = sum + s:byte(n) * 256
	end
	return sum
end

local function fold(sum)
	while sum > 0xffff do
		sum = sum % 0x10000 + math.floor(sum / 0x10000)
	end
	return sum
end

local function be32(v)
	return string.char(math.floor(v / 0x1000000) % 256, math.floor(v / 0x10000) % 256,
		math.floor(v / 0x100) % 256, v % 256)
end

-- Status (0 bad, 1 good, 2 unverified) and the checksum computed, of the
-- segment @seg (a string, whole) with the checksum field @field.
local function verify(seg, saddr, daddr, crc, field)
	local len = #seg
	local pseudo = be32(saddr) .. be32(daddr) ..
		string.char(0, ttp.prefs.ipproto % 256, math.floor(len / 256) % 256, len % 256)
	local zeroed = seg:sub(1, 16) .. "\0\0\0\0" .. seg:sub(21)
	if crc then
		local c = bit32.bnot(crc32c(crc32c(0xffffffff, pseudo), zeroed))
		return (c == field) and 1 or 0, c
	end
	local sum = fold(inet_sum(inet_sum(0, pseudo), zeroed))
	local c = bit32.band(bit32.bnot(sum), 0xffff) * 0x10000
	return (c == field) and 1 or 0, c
end

-- ---- conversations ----

local streams = {}	-- by "addr:port addr:port", the lower end first
local nstreams = 0
local frames = {}	-- what the first pass found, by frame number

-- Sequence-space comparison, modulo 2^32.
local function seq_diff(a, b)
	local d = (a - b) % 4294967296
	if d >= 2147483648 then
		d = d - 4294967296
	end
	return d
end

local function rel(v, base)
	if not base or not ttp.prefs.relative then
		return v
	end
	return (v - base) % 4294967296
end

local function stream_of(src, sport, dst, dport)
	local a, b = tostring(src) .. ":" .. sport, tostring(dst) .. ":" .. dport
	local key, d = a .. " " .. b, 1
	if a > b then
		key, d = b .. " " .. a, 2
	end
	local st = streams[key]
	if not st then
		st = { index = nstreams, dir = { {}, {} } }
		nstreams = nstreams + 1
		streams[key] = st
	end
	return st, st.dir[d], st.dir[3 - d]
end

function ttp.init()
	streams = {}
	nstreams = 0
	frames = {}
end

-- ---- options ----

-- Adds the options of @range to @tree; returns what they said, and false
-- if they are malformed (the spec's parsing rules).
local function dissect_options(range, tree, seg_flags)
	local o = { sacks = {} }
	local n, i = range:len(), 0
	while i < n do
		local kind = range(i, 1):uint()
		if kind == OPT.END then
			tree:add(f.opt_kind, range(i, 1)):append_text(" (rest is padding)")
			break
		elseif kind == OPT.NOP then
			tree:add(f.opt_kind, range(i, 1))
			i = i + 1
		else
			if i + 1 >= n then
				return o, false
			end
			local len = range(i + 1, 1):uint()
			if len < 2 or i + len > n then
				return o, false
			end
			local want = opt_len[kind]
			if want and len ~= want then
				return o, false
			end
			local r = range(i, len)
			local t = tree:add(ttp, r, (opt_names[kind] or "Unknown") ..
				string.format(" (kind %d, %d bytes)", kind, len))
			t:add(f.opt_kind, range(i, 1))
			t:add(f.opt_len, range(i + 1, 1))
			if kind == OPT.MSS then
				o.mss = r(2, 2):uint()
				t:add(f.opt_mss, r(2, 2))
				t:append_text(": " .. o.mss)
			elseif kind == OPT.WSCALE then
				o.wscale = math.min(r(2, 1):uint(), 14)
				t:add(f.opt_wscale, r(2, 1))
				t:add(f.opt_wscale_mul, 2 ^ o.wscale):set_generated()
				t:append_text(": shift " .. o.wscale)
			elseif kind == OPT.CSUM then
				local m = r(2, 1):uint()
				o.csum = m
				local ct = t:add(f.opt_csum, r(2, 1))
				ct:add(f.opt_csum_inet, r(2, 1))
				ct:add(f.opt_csum_crc, r(2, 1))
				local names = {}
				if bit32.band(m, 1) ~= 0 then names[#names + 1] = "inet" end
				if bit32.band(m, 2) ~= 0 then names[#names + 1] = "crc32c" end
				local s = table.concat(names, ",")
				if bit32.band(seg_flags, TTPF_ACK) ~= 0 then
					t:add(f.opt_csum_chosen, s):set_generated()
					t:append_text(": chosen " .. s)
				else
					t:add(f.opt_csum_offered, s):set_generated()
					t:append_text(": offered " .. s)
				end
			elseif kind == OPT.SACK_OK then
				o.sack_ok = true
				t:add(f.opt_sack_perm, r)
			elseif kind == OPT.SACK then
				if (len - 2) % 8 ~= 0 or len == 2 or len > 34 or #o.sacks > 0 then
					return o, false
				end
				for b = 0, (len - 2) / 8 - 1 do
					o.sacks[#o.sacks + 1] = {
						le = r(2 + 8 * b, 4):uint(), re = r(6 + 8 * b, 4):uint(),
						le_range = r(2 + 8 * b, 4), re_range = r(6 + 8 * b, 4),
					}
				end
				o.sack_tree = t
			elseif kind == OPT.AUTH then
				t:add(f.opt_auth, r(2, len - 2))
			elseif kind == OPT.TIMESTAMP then
				if o.tsval then
					return o, false
				end
				o.tsval, o.tsecr = r(2, 4):uint(), r(6, 4):uint()
				t:add(f.opt_tsval, r(2, 4))
				t:add(f.opt_tsecr, r(6, 4))
				t:append_text(": TSval " .. o.tsval .. ", TSecr " .. o.tsecr)
			else
				t:add(f.opt_unknown, r)
			end
			i = i + len
		end
	end
	return o, true
end

-- A tree that takes everything and shows nothing.
local no_tree = setmetatable({}, { __index = function()
	return function(self) return self end
end })

local function flag_names(fl)
	local names = {}
	local order = { { TTPF_FIN, "FIN" }, { TTPF_SYN, "SYN" }, { TTPF_RST, "RST" },
		{ TTPF_PSH, "PSH" }, { TTPF_ACK, "ACK" }, { TTPF_CRC, "CRC" } }
	for _, p in ipairs(order) do
		if bit32.band(fl, p[1]) ~= 0 then
			names[#names + 1] = p[2]
		end
	end
	return table.concat(names, ", ")
end

-- ---- the segment ----

-- First pass only: what the segment is in its conversation.
local function analyse(pinfo, st, me, peer, h)
	local r = { stream = st.index }
	local syn = bit32.band(h.flags, TTPF_SYN) ~= 0
	local fin = bit32.band(h.flags, TTPF_FIN) ~= 0
	local rst = bit32.band(h.flags, TTPF_RST) ~= 0
	local ack = bit32.band(h.flags, TTPF_ACK) ~= 0
	local seglen = h.len + (syn and 1 or 0) + (fin and 1 or 0)

	if syn then
		me.isn = h.seq
		me.wscale = h.opts.wscale or -2
		me.sack_ok = h.opts.sack_ok
		me.ts = h.opts.tsval ~= nil
		if ack then
			me.csum_chosen = h.opts.csum
		else
			me.csum_offer = h.opts.csum
		end
	elseif not me.isn then
		me.isn = h.seq	-- the connection began before the capture
	end
	r.seq_base = me.isn
	r.ack_base = peer.isn

	-- Window, scaled once both SYNs said so (never in a SYN).
	if syn then
		r.scale = -2
	elseif me.wscale and peer.wscale then
		r.scale = (me.wscale >= 0 and peer.wscale >= 0) and me.wscale or -2
	else
		r.scale = -1
	end
	r.window = h.window * (r.scale > 0 and 2 ^ r.scale or 1)

	local nxt = (h.seq + seglen) % 4294967296
	if rst then
		r.role = "RST"
	elseif seglen > 0 and me.max_nxt and seq_diff(h.seq, me.max_nxt) < 0 then
		if h.len == 1 and not syn and not fin and peer.last_ack and
		   seq_diff(nxt, peer.last_ack) == 0 then
			-- One old byte, at snd_una - 1: a probe (output.c).
			if peer.last_window == 0 then
				r.window_probe = true
				r.role = "window probe"
			else
				r.keep_alive = true
				r.role = "keep-alive"
			end
		else
			r.retrans = true
			r.role = "retransmission"
		end
	elseif syn then
		r.role = ack and "SYN+ACK" or "SYN"
	elseif fin then
		r.role = "FIN"
	elseif h.len > 0 then
		r.role = "data"
	else
		r.role = "ACK"
		if ack and me.last_ack and h.ack == me.last_ack then
			if me.last_window and h.window ~= me.last_window then
				r.window_update = true
				r.role = "window update"
			elseif me.last_window and h.window == me.last_window and
			       peer.max_nxt and seq_diff(peer.max_nxt, h.ack) > 0 then
				me.dup_acks = (me.dup_acks or 0) + 1
				r.dup_ack = me.dup_acks
				r.role = "duplicate ACK"
			end
		end
	end
	if not syn and not rst and h.window == 0 then
		r.zero_window = true
	end
	if ack and not rst then
		if h.ack ~= me.last_ack then
			me.dup_acks = 0
			-- The frame of the peer's segment this ACK covers last.
			r.acks_frame = peer.frame_of and peer.frame_of[h.ack]
		end
		me.last_ack = h.ack
		me.last_window = h.window
	end
	if seglen > 0 and not rst then
		if not me.max_nxt or seq_diff(nxt, me.max_nxt) > 0 then
			me.max_nxt = nxt
		end
		me.frame_of = me.frame_of or {}
		if not me.frame_of[nxt] then
			me.frame_of[nxt] = pinfo.number
		end
	end
	if syn and ack and me.csum_chosen ~= nil then
		local chosen = me.csum_chosen == 2 and "crc32c" or (me.csum_chosen == 1 and "inet" or "?")
		local parts = { "checksum " .. chosen }
		if peer.wscale and peer.wscale >= 0 and me.wscale >= 0 then
			parts[#parts + 1] = "window scale " .. peer.wscale .. "/" .. me.wscale
		end
		if peer.sack_ok and me.sack_ok then parts[#parts + 1] = "SACK" end
		if peer.ts and me.ts then parts[#parts + 1] = "timestamps" end
		r.negotiated = table.concat(parts, ", ")
	end
	return r
end

function ttp.dissector(tvb, pinfo, root)
	local n = tvb:len()
	pinfo.cols.protocol = "TTP"
	local tree = root:add(ttp, tvb(), "TTP, the Toy Transport Protocol")
	if n < 20 then
		tree:add_proto_expert_info(ex.malformed, "shorter than the 20-byte header")
		pinfo.cols.info = "[malformed: " .. n .. " bytes]"
		return n
	end
	local h = {
		sport = tvb(0, 2):uint(), dport = tvb(2, 2):uint(),
		seq = tvb(4, 4):uint(), ack = tvb(8, 4):uint(),
		version = bit32.rshift(tvb(12, 1):uint(), 4),
		hlen = bit32.band(tvb(12, 1):uint(), 0x0f) * 4,
		flags = tvb(13, 1):uint(), window = tvb(14, 2):uint(),
		check = tvb(16, 4):uint(),
	}
	h.len = math.max(n - h.hlen, 0)
	tree:append_text(string.format(", Src Port: %d, Dst Port: %d", h.sport, h.dport))
	tree:add(f.srcport, tvb(0, 2))
	tree:add(f.dstport, tvb(2, 2))
	tree:add(f.port, tvb(0, 2)):set_hidden()
	tree:add(f.port, tvb(2, 2)):set_hidden()

	local malformed
	if h.version ~= 1 then
		malformed = "version " .. h.version .. ", not 1"
	elseif h.hlen < 20 or h.hlen > n then
		malformed = "header length " .. h.hlen
	end
	-- The options first, for the analysis; shown after the header.
	local opts, ok = { sacks = {} }, true
	if not malformed and h.hlen > 20 then
		opts, ok = dissect_options(tvb(20, h.hlen - 20), no_tree, h.flags)
		if not ok then
			malformed = "malformed options"
		end
	end
	h.opts = opts

	-- Checksum.
	local crc = bit32.band(h.flags, TTPF_CRC) ~= 0
	local status, calc = 2, nil
	local src_fi, dst_fi = ip_src_f(), ip_dst_f()
	if ttp.prefs.check_checksum and src_fi and dst_fi and tvb:reported_length_remaining() == n then
		status, calc = verify(tvb:raw(0, n), src_fi.range:uint(), dst_fi.range:uint(), crc, h.check)
		if not crc and h.check % 0x10000 ~= 0 then
			status = 0	-- the second half belongs to CRC32C: zero
		end
	end

	local st, me, peer = stream_of(pinfo.src, h.sport, pinfo.dst, h.dport)
	local r = frames[pinfo.number]
	if not r then
		if malformed or status == 0 then
			-- Dropped by any receiver: counted nowhere in the conversation.
			r = { stream = st.index, role = malformed and "malformed" or "bad checksum",
			      seq_base = me.isn, ack_base = peer.isn, scale = -1, window = h.window }
		else
			r = analyse(pinfo, st, me, peer, h)
		end
		frames[pinfo.number] = r
	end

	tree:add(f.stream, r.stream):set_generated()
	tree:add(f.len, h.len):set_generated()
	tree:add(f.seq, rel(h.seq, r.seq_base)):set_generated()
	tree:add(f.seq_raw, tvb(4, 4))
	local seglen = h.len + (bit32.band(h.flags, TTPF_SYN) ~= 0 and 1 or 0) +
		(bit32.band(h.flags, TTPF_FIN) ~= 0 and 1 or 0)
	if seglen > 0 then
		tree:add(f.nxtseq, rel((h.seq + seglen) % 4294967296, r.seq_base)):set_generated()
	end
	tree:add(f.ack, rel(h.ack, r.ack_base)):set_generated()
	tree:add(f.ack_raw, tvb(8, 4))
	tree:add(f.version, tvb(12, 1))
	tree:add(f.doff, tvb(12, 1))
	tree:add(f.hdr_len, h.hlen):set_generated()
	local ft = tree:add(f.flags, tvb(13, 1))
	ft:append_text(" (" .. flag_names(h.flags) .. ")")
	for _, fl in ipairs({ f.flag_res, f.flag_crc, f.flag_ack, f.flag_psh, f.flag_rst,
			      f.flag_syn, f.flag_fin }) do
		ft:add(fl, tvb(13, 1))
	end
	tree:add(f.flags_str, flag_names(h.flags)):set_generated()
	tree:add(f.window_value, tvb(14, 2))
	tree:add(f.window, r.window):set_generated()
	tree:add(f.window_scale, r.scale):set_generated()
	local ct = tree:add(f.checksum, tvb(16, 4))
	ct:add(f.checksum_algo, crc and 1 or 0):set_generated()
	if calc then
		ct:add(f.checksum_calc, calc):set_generated()
	end
	ct:add(f.checksum_status, status):set_generated()
	ct:append_text(" [" .. (crc and "CRC32C" or "Internet") .. ", " ..
		string.lower(status_names[status]) .. "]")
	if status == 0 then
		ct:add_proto_expert_info(ex.bad_checksum)
	end
	if not malformed and h.hlen > 20 or malformed == "malformed options" then
		opts = dissect_options(tvb(20, h.hlen - 20), tree:add(f.options, tvb(20, h.hlen - 20)),
			h.flags)
	end
	if opts.sack_tree then
		opts.sack_tree:add(f.opt_sack_count, #opts.sacks):set_generated()
		for _, b in ipairs(opts.sacks) do
			opts.sack_tree:add(f.opt_sack_le, b.le_range, rel(b.le, r.ack_base))
			opts.sack_tree:add(f.opt_sack_re, b.re_range, rel(b.re, r.ack_base))
		end
	end
	if malformed then
		tree:add_proto_expert_info(ex.malformed, malformed)
	end

	tree:add(f.role, r.role):set_generated()
	local at = tree:add(f.analysis, tvb(0, 0)):set_generated()
	if r.acks_frame then
		at:add(f.a_acks_frame, r.acks_frame):set_generated()
	end
	for _, a in ipairs({ { "retrans", f.a_retrans, ex.retrans },
			     { "dup_ack", f.a_dup_ack, ex.dup_ack },
			     { "zero_window", f.a_zero_window, ex.zero_window },
			     { "window_update", f.a_window_update },
			     { "window_probe", f.a_window_probe },
			     { "keep_alive", f.a_keep_alive } }) do
		if r[a[1]] then
			at:add(a[2], true):set_generated()
			if a[3] then
				at:add_proto_expert_info(a[3])
			end
		end
	end
	if r.dup_ack then
		at:add(f.a_dup_ack_num, r.dup_ack):set_generated()
	end
	if r.negotiated then
		at:add(f.a_negotiated, r.negotiated):set_generated()
	end
	if h.len > 0 and not malformed then
		tree:add(f.payload, tvb(h.hlen, h.len))
	end

	local info = string.format("[%s] %d → %d [%s] Seq=%u", r.role, h.sport, h.dport,
		flag_names(h.flags), rel(h.seq, r.seq_base))
	if bit32.band(h.flags, TTPF_ACK) ~= 0 then
		info = info .. string.format(" Ack=%u", rel(h.ack, r.ack_base))
	end
	info = info .. string.format(" Win=%u Len=%u", r.window, h.len)
	if opts.mss then info = info .. " MSS=" .. opts.mss end
	if opts.wscale then info = info .. " WS=" .. 2 ^ opts.wscale end
	if opts.csum then info = info .. string.format(" CSUM=0x%02x", opts.csum) end
	if opts.sack_ok then info = info .. " SACK_PERM" end
	for _, b in ipairs(opts.sacks) do
		info = info .. string.format(" SLE=%u SRE=%u", rel(b.le, r.ack_base), rel(b.re, r.ack_base))
	end
	if opts.tsval then info = info .. " TSval=" .. opts.tsval .. " TSecr=" .. opts.tsecr end
	if status == 0 then info = info .. " [bad checksum]" end
	pinfo.cols.info = info
	return n
end

local registered
local function register()
	local t = DissectorTable.get("ip.proto")
	if registered then
		t:remove(registered, ttp)
	end
	t:add(ttp.prefs.ipproto, ttp)
	registered = ttp.prefs.ipproto
end

function ttp.prefs_changed()
	register()
end

register()
